-- Respondent x police force area covered by the respondent's (resolved) organisation.
with

respondent_organisations as (
    select * from {{ ref('int_respondent_organisations') }}
),

organisation_force_areas as (
    select * from {{ ref('organisation_force_areas') }}
),

respondent_force_areas as (
    select
        respondent_organisations.wave,
        respondent_organisations.survey,
        respondent_organisations.response_id,
        respondent_organisations.is_included,
        respondent_organisations.organisation,
        organisation_force_areas.police_force_area
    from respondent_organisations
    inner join organisation_force_areas
        on respondent_organisations.organisation = organisation_force_areas.organisation
)

select * from respondent_force_areas
