-- Annex 2 Q4 per survey: ticks per area and status over included respondents.
with

grid_ticks as (
    select * from {{ ref('int_grid_ticks') }}
),

areas as (
    select * from {{ ref('areas') }}
),

surveys as (
    select * from (values ('police', 1), ('national', 2)) as surveys (survey, survey_order)
),

tick_counts as (
    select
        survey,
        questionnaire_area,
        count(*) filter (where grid_status = 'completed') as completed,
        count(*) filter (where grid_status = 'active') as active,
        count(*) filter (where grid_status = 'future') as future
    from grid_ticks
    group by survey, questionnaire_area
),

area_of_work_by_survey as (
    select
        surveys.survey,
        areas.report_area as area,
        coalesce(tick_counts.completed, 0) as completed,
        coalesce(tick_counts.active, 0) as active,
        coalesce(tick_counts.future, 0) as future,
        coalesce(tick_counts.completed, 0)
            + coalesce(tick_counts.active, 0)
            + coalesce(tick_counts.future, 0) as total
    from surveys
    cross join areas
    left join tick_counts
        on surveys.survey = tick_counts.survey
        and areas.questionnaire_area = tick_counts.questionnaire_area
)

select * from area_of_work_by_survey
