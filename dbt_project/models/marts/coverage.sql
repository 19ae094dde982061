-- Who is represented, per wave: the 43 police force areas of England and Wales (responded = an
-- included police response from a force or OPCC covering the area) and the top-level
-- national/regional organisations (responded = an included national response from the
-- organisation or a part of it).
with

police_force_areas as (
    select * from {{ ref('police_force_areas') }}
),

organisations as (
    select * from {{ ref('organisations') }}
),

waves as (
    select distinct wave from {{ ref('int_wave_surveys') }}
),

respondent_force_areas as (
    select * from {{ ref('int_respondent_force_areas') }}
    where is_included
        and survey = 'police'
),

respondent_organisations as (
    select * from {{ ref('int_respondent_organisations') }}
    where is_included
        and survey = 'national'
),

force_area_respondents as (
    select wave, police_force_area, count(distinct response_id) as respondents
    from respondent_force_areas
    group by wave, police_force_area
),

organisation_respondents as (
    select wave, root_organisation, count(distinct response_id) as respondents
    from respondent_organisations
    where root_organisation is not null
    group by wave, root_organisation
),

force_area_coverage as (
    select
        waves.wave,
        'police force area' as coverage_type,
        police_force_areas.police_force_area as name,
        police_force_areas.country,
        cast(null as varchar) as organisation_type,
        coalesce(force_area_respondents.respondents, 0) > 0 as responded,
        coalesce(force_area_respondents.respondents, 0) as respondents
    from waves
    cross join police_force_areas
    left join force_area_respondents
        on waves.wave = force_area_respondents.wave
        and police_force_areas.police_force_area = force_area_respondents.police_force_area
),

national_organisations as (
    select waves.wave, organisations.organisation, organisations.organisation_type
    from waves
    cross join organisations
    where organisations.parent_organisation is null
        and organisations.organisation_type in ('national body', 'regional body')
    union
    select organisation_respondents.wave, organisations.organisation, organisations.organisation_type
    from organisation_respondents
    inner join organisations
        on organisation_respondents.root_organisation = organisations.organisation
),

national_organisation_coverage as (
    select
        national_organisations.wave,
        'national organisation' as coverage_type,
        national_organisations.organisation as name,
        cast(null as varchar) as country,
        national_organisations.organisation_type,
        coalesce(organisation_respondents.respondents, 0) > 0 as responded,
        coalesce(organisation_respondents.respondents, 0) as respondents
    from national_organisations
    left join organisation_respondents
        on national_organisations.wave = organisation_respondents.wave
        and national_organisations.organisation = organisation_respondents.root_organisation
),

coverage as (
    select * from force_area_coverage
    union all
    select * from national_organisation_coverage
)

select * from coverage
