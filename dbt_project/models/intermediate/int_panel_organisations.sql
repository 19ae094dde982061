-- For each pair of consecutive waves, the organisations with an included response in the
-- survey version in either wave, and whether they answered in both (the panel). Organisations
-- are the canonical ones the alias seed resolves Q1 to; an unknown name counts by its name key.
with

wave_pairs as (
    select * from {{ ref('int_wave_pairs') }}
),

respondent_organisations as (
    select * from {{ ref('int_respondent_organisations') }}
    where is_included
),

organisation_waves as (
    select
        wave,
        survey,
        coalesce(organisation, organisation_name_key) as organisation,
        bool_or(is_unknown_organisation) as is_unknown_organisation,
        any_value(organisation_type) as organisation_type,
        count(*) as respondents
    from respondent_organisations
    where coalesce(organisation, organisation_name_key, '') <> ''
    group by wave, survey, coalesce(organisation, organisation_name_key)
),

pair_organisations as (
    select distinct
        wave_pairs.wave_from,
        wave_pairs.wave_to,
        organisation_waves.survey,
        organisation_waves.organisation
    from wave_pairs
    inner join organisation_waves
        on organisation_waves.wave in (wave_pairs.wave_from, wave_pairs.wave_to)
),

panel_organisations as (
    select
        pair_organisations.wave_from,
        pair_organisations.wave_to,
        pair_organisations.survey,
        pair_organisations.organisation,
        coalesce(answered_from.organisation_type, answered_to.organisation_type) as organisation_type,
        coalesce(answered_from.is_unknown_organisation, false)
            or coalesce(answered_to.is_unknown_organisation, false) as is_unknown_organisation,
        coalesce(answered_from.respondents, 0) as respondents_from,
        coalesce(answered_to.respondents, 0) as respondents_to,
        answered_from.organisation is not null and answered_to.organisation is not null
            as is_panel,
        case
            when answered_from.organisation is not null and answered_to.organisation is not null
                then 'both waves'
            when answered_from.organisation is not null then 'only ' || pair_organisations.wave_from
            else 'only ' || pair_organisations.wave_to
        end as answered_in
    from pair_organisations
    left join organisation_waves as answered_from
        on answered_from.wave = pair_organisations.wave_from
        and answered_from.survey = pair_organisations.survey
        and answered_from.organisation = pair_organisations.organisation
    left join organisation_waves as answered_to
        on answered_to.wave = pair_organisations.wave_to
        and answered_to.survey = pair_organisations.survey
        and answered_to.organisation = pair_organisations.organisation
)

select * from panel_organisations
