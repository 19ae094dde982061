-- Annex 2 Q4 per wave and survey: ticks per area and status over included respondents, for the
-- areas the wave's questionnaire asked (an area the wave did not ask has no row for it: it is
-- not a zero). Areas take the report's spelling, which a renamed area keeps across waves.
with

grid_ticks as (
    select * from {{ ref('int_grid_ticks') }}
),

wave_surveys as (
    select * from {{ ref('int_wave_surveys') }}
),

question_map as (
    select * from {{ ref('question_map') }}
),

areas as (
    select * from {{ ref('areas') }}
),

asked_areas as (
    select distinct
        wave_surveys.wave,
        wave_surveys.survey,
        areas.questionnaire_area,
        areas.report_area
    from wave_surveys
    inner join question_map
        on wave_surveys.questionnaire = question_map.questionnaire
    inner join areas
        on question_map.area = areas.questionnaire_area
    where question_map.answer_kind = 'grid'
),

tick_counts as (
    select
        wave,
        survey,
        questionnaire_area,
        count(*) filter (where grid_status = 'completed') as completed,
        count(*) filter (where grid_status = 'active') as active,
        count(*) filter (where grid_status = 'future') as future
    from grid_ticks
    group by wave, survey, questionnaire_area
),

area_of_work_by_survey as (
    select
        asked_areas.wave,
        asked_areas.survey,
        asked_areas.report_area as area,
        coalesce(tick_counts.completed, 0) as completed,
        coalesce(tick_counts.active, 0) as active,
        coalesce(tick_counts.future, 0) as future,
        coalesce(tick_counts.completed, 0)
            + coalesce(tick_counts.active, 0)
            + coalesce(tick_counts.future, 0) as total
    from asked_areas
    left join tick_counts
        on asked_areas.wave = tick_counts.wave
        and asked_areas.survey = tick_counts.survey
        and asked_areas.questionnaire_area = tick_counts.questionnaire_area
)

select * from area_of_work_by_survey
