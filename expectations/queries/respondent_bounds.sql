-- One row per wave and survey: the responses of its current export (marts.source_exports)
-- beside what the marts count of them. The marts must count every response of the current
-- export, no more and no fewer, and no figure may exceed the respondents it counts among:
-- no question answered by more than the included respondents, no item of a question by more
-- than answered it, no area of Q4 ticked by more than answered Q4 (per survey, and in Table 1
-- over the wave's surveys).
with

delivered as (
    select wave, survey, row_count
    from marts.source_exports
    where is_current
),

questions as (
    select
        wave,
        survey,
        max(answered) as max_answered,
        max(answered) filter (where question = 4) as q4_answered,
        count(*) filter (where question <> 4 and response_total > answered) as items_above_answered
    from marts.question_responses
    group by wave, survey
),

areas_by_survey as (
    select wave, survey, max(greatest(completed, active, future)) as max_area_count
    from marts.area_of_work_by_survey
    group by wave, survey
),

table_1 as (
    select wave, max(greatest(completed, active, future)) as table_1_max_area_count
    from marts.area_of_work
    group by wave
),

wave_q4_answered as (
    select wave, sum(q4_answered) as wave_q4_answered
    from questions
    group by wave
)

select
    responses.wave,
    responses.survey,
    coalesce(delivered.row_count, 0) as delivered,
    responses.exported,
    responses.included,
    coalesce(questions.max_answered, 0) as max_answered,
    coalesce(questions.items_above_answered, 0) as items_above_answered,
    coalesce(questions.q4_answered, 0) as q4_answered,
    coalesce(areas_by_survey.max_area_count, 0) as max_area_count,
    coalesce(wave_q4_answered.wave_q4_answered, 0) as wave_q4_answered,
    coalesce(table_1.table_1_max_area_count, 0) as table_1_max_area_count
from marts.responses as responses
left join delivered
    on responses.wave = delivered.wave
    and responses.survey = delivered.survey
left join questions
    on responses.wave = questions.wave
    and responses.survey = questions.survey
left join areas_by_survey
    on responses.wave = areas_by_survey.wave
    and responses.survey = areas_by_survey.survey
left join table_1
    on responses.wave = table_1.wave
left join wave_q4_answered
    on responses.wave = wave_q4_answered.wave
order by responses.wave, responses.survey
