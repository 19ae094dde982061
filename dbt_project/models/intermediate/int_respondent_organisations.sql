-- Each respondent's organisation as typed (Q1), resolved through the alias seed to a canonical
-- organisation, its type and its top-level (root) organisation. A name no alias knows is kept
-- and flagged (is_unknown_organisation), never dropped.
with recursive

respondents as (
    select * from {{ ref('int_respondents') }}
),

organisation_aliases as (
    select * from {{ ref('organisation_aliases') }}
),

organisations as (
    select * from {{ ref('organisations') }}
),

organisation_roots as (
    -- walk parent_organisation up to the top-level organisation (depth-limited against cycles)
    select
        organisation,
        organisation as root_organisation,
        parent_organisation,
        0 as depth
    from organisations
    union all
    select
        organisation_roots.organisation,
        parents.organisation as root_organisation,
        parents.parent_organisation,
        organisation_roots.depth + 1 as depth
    from organisation_roots
    inner join organisations as parents
        on organisation_roots.parent_organisation = parents.organisation
    where organisation_roots.depth < 10
),

top_level_organisations as (
    select organisation, root_organisation
    from organisation_roots
    qualify row_number() over (partition by organisation order by depth desc) = 1
),

respondent_name_keys as (
    select
        wave,
        survey,
        response_id,
        is_included,
        organisation_name_raw,
        organisation_name,
        role,
        {{ organisation_name_key('organisation_name') }} as organisation_name_key
    from respondents
),

respondent_organisations as (
    select
        respondent_name_keys.wave,
        respondent_name_keys.survey,
        respondent_name_keys.response_id,
        respondent_name_keys.is_included,
        respondent_name_keys.organisation_name_raw,
        respondent_name_keys.organisation_name_key,
        organisation_aliases.organisation,
        organisations.organisation_type,
        top_level_organisations.root_organisation,
        respondent_name_keys.organisation_name is not null
            and organisation_aliases.organisation is null as is_unknown_organisation,
        respondent_name_keys.role,
        case
            when respondent_name_keys.survey = 'national'
                then coalesce(organisations.organisation_type = 'regional body', false)
                    or coalesce(regexp_matches(respondent_name_keys.role, 'region', 'i'), false)
        end as is_regional_role
    from respondent_name_keys
    left join organisation_aliases
        on respondent_name_keys.organisation_name_key = organisation_aliases.alias_key
    left join organisations
        on organisation_aliases.organisation = organisations.organisation
    left join top_level_organisations
        on organisation_aliases.organisation = top_level_organisations.organisation
)

select * from respondent_organisations
