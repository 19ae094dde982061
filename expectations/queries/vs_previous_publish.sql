-- Each wave and survey of the published file analysts read now (attached as previous_publish)
-- beside the same wave and survey in the marts about to replace it. Responses never go down
-- unless the current export says so (it holds fewer), and the response counts of a wave and
-- survey whose current export is the same file as before (nothing re-delivered it) do not move.
-- The first publish, with nothing to compare, compares the marts with themselves.
with

previous_exports as (
    select wave, survey, sha256, file_name
    from previous_publish.marts.source_exports
    where is_current
),

current_exports as (
    select wave, survey, sha256, file_name, row_count
    from marts.source_exports
    where is_current
),

compared as (
    select
        previous.wave,
        previous.survey,
        previous_exports.file_name as previous_file,
        current_exports.file_name as current_file,
        coalesce(previous_exports.sha256 = current_exports.sha256, false) as same_export,
        previous.exported as previous_exported,
        coalesce(responses.exported, 0) as exported,
        least(previous.exported, coalesce(current_exports.row_count, 0)) as lowest_allowed,
        previous.completed as previous_completed,
        responses.completed,
        previous.partial as previous_partial,
        responses.partial
    from previous_publish.marts.responses as previous
    left join marts.responses as responses
        on previous.wave = responses.wave
        and previous.survey = responses.survey
    left join previous_exports
        on previous.wave = previous_exports.wave
        and previous.survey = previous_exports.survey
    left join current_exports
        on previous.wave = current_exports.wave
        and previous.survey = current_exports.survey
)

select
    *,
    case
        when same_export
            and (exported, completed, partial)
            is distinct from (previous_exported, previous_completed, previous_partial)
            then 1
        else 0
    end as moved_without_new_export
from compared
order by wave, survey
