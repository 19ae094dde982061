-- Table 1 (area_of_work) must equal the sum of Annex 2 Q4 (area_of_work_by_survey) per area.
with

by_survey_totals as (
    select
        area,
        sum(completed) as completed,
        sum(active) as active,
        sum(future) as future,
        sum(total) as total
    from {{ ref('area_of_work_by_survey') }}
    group by area
)

select
    coalesce(area_of_work.area, by_survey_totals.area) as area
from {{ ref('area_of_work') }} as area_of_work
full outer join by_survey_totals
    on area_of_work.area = by_survey_totals.area
where area_of_work.completed is distinct from by_survey_totals.completed
    or area_of_work.active is distinct from by_survey_totals.active
    or area_of_work.future is distinct from by_survey_totals.future
    or area_of_work.total is distinct from by_survey_totals.total
