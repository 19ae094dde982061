-- Every figure of the report (published_figures seed) beside the figure the marts compute:
-- match (counts equal; percentages within var('percent_tolerance')), known discrepancy (listed in
-- the known_discrepancies seed with the reason; the computed value is never copied from the
-- report) or mismatch (including a published figure nothing computes).
-- Built into schema marts (dbt_project.yml): analysts query marts.reconciliation.
with

published_figures as (
    select * from {{ ref('published_figures') }}
),

computed_figures as (
    select * from {{ ref('computed_figures') }}
),

known_discrepancies as (
    select * from {{ ref('known_discrepancies') }}
),

compared_figures as (
    select
        published_figures.figure_id,
        published_figures.source,
        published_figures.description,
        published_figures.unit,
        published_figures.value as published,
        computed_figures.computed,
        computed_figures.computed - published_figures.value as difference,
        case
            when computed_figures.computed is null then false
            when published_figures.unit like 'percent%'
                then abs(computed_figures.computed - published_figures.value) <= {{ var('percent_tolerance') }}
            else computed_figures.computed = published_figures.value
        end as is_match,
        known_discrepancies.reason as known_reason
    from published_figures
    left join computed_figures
        on published_figures.figure_id = computed_figures.figure_id
    left join known_discrepancies
        on published_figures.figure_id = known_discrepancies.figure_id
),

reconciliation as (
    select
        figure_id,
        source,
        description,
        unit,
        published,
        computed,
        difference,
        case
            when is_match then 'match'
            when known_reason is not null then 'known discrepancy'
            else 'mismatch'
        end as status,
        case
            when is_match then null
            when known_reason is not null then known_reason
            when computed is null then 'no computed figure has this id'
            else 'computed value differs from the published value'
        end as reason
    from compared_figures
)

select * from reconciliation
