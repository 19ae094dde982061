-- Every figure of the report (published_figures seed) beside the figure the marts compute:
--   match              computed agrees with published (counts equal; percentages within
--                      var('percent_tolerance'));
--   known discrepancy  listed in the known_discrepancies seed, with the reason, and computed
--                      agrees in the same way with the value the seed expects (expected_computed;
--                      both NULL when the data cannot compute the figure): a listed figure that
--                      moves further is a mismatch. The computed value is never copied from the
--                      report;
--   mismatch           anything else, including a published figure nothing computes.
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
        {{ figures_agree('published_figures.unit', 'computed_figures.computed', 'published_figures.value') }} as is_match,
        known_discrepancies.figure_id is not null as is_listed_discrepancy,
        known_discrepancies.expected_computed,
        (computed_figures.computed is null and known_discrepancies.expected_computed is null)
            or {{ figures_agree('published_figures.unit', 'computed_figures.computed', 'known_discrepancies.expected_computed') }}
            as is_expected_computed,
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
            when is_listed_discrepancy and is_expected_computed then 'known discrepancy'
            else 'mismatch'
        end as status,
        case
            when is_match then null
            when is_listed_discrepancy and is_expected_computed then known_reason
            when is_listed_discrepancy
                then 'listed as a known discrepancy, but the computed value '
                    || coalesce(cast(computed as varchar), 'NULL')
                    || ' is not the expected '
                    || coalesce(cast(expected_computed as varchar), 'NULL')
            when computed is null then 'no computed figure has this id'
            else 'computed value differs from the published value'
        end as reason
    from compared_figures
)

select * from reconciliation
