-- marts.area_of_work_by_survey with its row sum and the wave's survey's respondents who answered Q4.
with

q4_answered as (
    select wave, survey, max(answered) as q4_answered
    from marts.question_responses
    where question = 4
    group by wave, survey
)

select
    by_survey.wave,
    by_survey.survey,
    by_survey.area,
    by_survey.completed,
    by_survey.active,
    by_survey.future,
    by_survey.total,
    by_survey.completed + by_survey.active + by_survey.future as completed_active_future,
    coalesce(q4_answered.q4_answered, 0) as q4_answered
from marts.area_of_work_by_survey as by_survey
left join q4_answered
    on by_survey.wave = q4_answered.wave
    and by_survey.survey = q4_answered.survey
order by by_survey.wave, by_survey.survey, by_survey.area
