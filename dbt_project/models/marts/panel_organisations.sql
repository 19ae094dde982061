-- The panel view: for each pair of consecutive waves, every organisation with an included
-- response in either wave, per survey, and whether it answered both (the panel), only the
-- earlier or only the later wave. A figure that moved because who answered changed shows here.
with

panel_organisations as (
    select * from {{ ref('int_panel_organisations') }}
)

select * from panel_organisations
