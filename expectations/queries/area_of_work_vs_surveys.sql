-- marts.area_of_work beside the sum of marts.area_of_work_by_survey over the surveys, per wave
-- and area.
-- Matched case-insensitively (one mart might use the questionnaire's spelling, the other Table 1's);
-- an area missing on one side shows as NULL there and fails the comparison.
with

summed as (
    select
        wave,
        lower(area) as area_key,
        min(area) as area,
        sum(completed) as completed,
        sum(active) as active,
        sum(future) as future,
        sum(total) as total
    from marts.area_of_work_by_survey
    group by wave, lower(area)
)

select
    coalesce(area_of_work.wave, summed.wave) as wave,
    coalesce(area_of_work.area, summed.area) as area,
    area_of_work.completed,
    summed.completed as surveys_completed,
    area_of_work.active,
    summed.active as surveys_active,
    area_of_work.future,
    summed.future as surveys_future,
    area_of_work.total,
    summed.total as surveys_total
from marts.area_of_work
full outer join summed
    on area_of_work.wave = summed.wave
    and lower(area_of_work.area) = summed.area_key
order by 1, 2
