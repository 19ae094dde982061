-- Table 1: ticks per area and status over both surveys' included respondents, ranked by total.
with

area_of_work_by_survey as (
    select * from {{ ref('area_of_work_by_survey') }}
),

area_totals as (
    select
        area,
        sum(completed) as completed,
        sum(active) as active,
        sum(future) as future,
        sum(total) as total
    from area_of_work_by_survey
    group by area
),

area_of_work as (
    select
        area,
        cast(completed as bigint) as completed,
        cast(active as bigint) as active,
        cast(future as bigint) as future,
        cast(total as bigint) as total,
        rank() over (order by total desc) as rank
    from area_totals
)

select * from area_of_work
