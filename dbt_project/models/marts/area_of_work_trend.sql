-- Table 1 across waves: for each pair of consecutive waves and each area, both waves' ticks
-- side by side with the change, the respondents who mentioned the area (ticked any status) as a
-- share of the wave's included respondents, and the same ticks counted over the panel only
-- (respondents of organisations that answered both waves), to tell change in practice from
-- change in who answered. An area one wave did not ask is NULL there (only_in_wave).
with

area_of_work as (
    select * from {{ ref('area_of_work') }}
),

responses as (
    select * from {{ ref('responses') }}
),

grid_ticks as (
    select * from {{ ref('int_grid_ticks') }}
),

respondent_organisations as (
    select * from {{ ref('int_respondent_organisations') }}
),

panel_organisations as (
    select * from {{ ref('int_panel_organisations') }}
    where is_panel
),

wave_respondents as (
    select wave, sum(included) as wave_respondents
    from responses
    group by wave
),

mentions as (
    select wave, report_area as area, count(distinct (survey, response_id)) as mentioned_by
    from grid_ticks
    group by wave, report_area
),

area_figures as (
    select
        area_of_work.wave,
        area_of_work.area,
        area_of_work.completed,
        area_of_work.active,
        area_of_work.future,
        area_of_work.total,
        coalesce(mentions.mentioned_by, 0) as mentioned_by,
        wave_respondents.wave_respondents
    from area_of_work
    left join mentions
        on area_of_work.wave = mentions.wave
        and area_of_work.area = mentions.area
    left join wave_respondents
        on area_of_work.wave = wave_respondents.wave
),

panel_ticks as (
    -- ticks of panel respondents, counted per pair and side
    select
        panel_organisations.wave_from,
        panel_organisations.wave_to,
        grid_ticks.report_area as area,
        count(*) filter (where grid_ticks.wave = panel_organisations.wave_from) as panel_total_from,
        count(*) filter (where grid_ticks.wave = panel_organisations.wave_to) as panel_total_to
    from grid_ticks
    inner join respondent_organisations
        on grid_ticks.wave = respondent_organisations.wave
        and grid_ticks.survey = respondent_organisations.survey
        and grid_ticks.response_id = respondent_organisations.response_id
    inner join panel_organisations
        on grid_ticks.wave in (panel_organisations.wave_from, panel_organisations.wave_to)
        and grid_ticks.survey = panel_organisations.survey
        and coalesce(respondent_organisations.organisation, respondent_organisations.organisation_name_key)
            = panel_organisations.organisation
    group by 1, 2, 3
),

{{ wave_trend('area_figures', ['area'], ['completed', 'active', 'future', 'total', 'mentioned_by'], 'mentioned_by') }},

area_of_work_trend as (
    select
        trend.*,
        case when trend.total_from is not null then coalesce(panel_ticks.panel_total_from, 0) end
            as panel_total_from,
        case when trend.total_to is not null then coalesce(panel_ticks.panel_total_to, 0) end
            as panel_total_to,
        case when trend.total_from is not null and trend.total_to is not null
            then coalesce(panel_ticks.panel_total_to, 0) - coalesce(panel_ticks.panel_total_from, 0)
        end as panel_total_change
    from trend
    left join panel_ticks
        on trend.wave_from = panel_ticks.wave_from
        and trend.wave_to = panel_ticks.wave_to
        and trend.area = panel_ticks.area
)

select * from area_of_work_trend
