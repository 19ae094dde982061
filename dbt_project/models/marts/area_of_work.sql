-- Table 1 per wave: ticks per area and status over both surveys' included respondents, ranked
-- by total within the wave.
with

area_of_work_by_survey as (
    select * from {{ ref('area_of_work_by_survey') }}
),

area_totals as (
    select
        wave,
        area,
        sum(completed) as completed,
        sum(active) as active,
        sum(future) as future,
        sum(total) as total
    from area_of_work_by_survey
    group by wave, area
),

area_of_work as (
    select
        wave,
        area,
        cast(completed as bigint) as completed,
        cast(active as bigint) as active,
        cast(future as bigint) as future,
        cast(total as bigint) as total,
        rank() over (partition by wave order by total desc) as rank
    from area_totals
)

select * from area_of_work
