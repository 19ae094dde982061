-- marts.area_of_work (all respondents) with its row sum and the respondents who answered Q4 in
-- either survey of the wave (marts.question_responses: Q4's `answered`, the same on every Q4
-- item).
-- A respondent ticks an option once per area, so no option count can exceed those respondents.
with

q4_answered as (
    select wave, coalesce(sum(answered), 0) as q4_answered
    from (
        select wave, survey, max(answered) as answered
        from marts.question_responses
        where question = 4
        group by wave, survey
    )
    group by wave
)

select
    area_of_work.wave,
    area_of_work.area,
    area_of_work.completed,
    area_of_work.active,
    area_of_work.future,
    area_of_work.total,
    area_of_work.completed + area_of_work.active + area_of_work.future as completed_active_future,
    coalesce(q4_answered.q4_answered, 0) as q4_answered
from marts.area_of_work
left join q4_answered
    on area_of_work.wave = q4_answered.wave
order by area_of_work.wave, area_of_work.area
