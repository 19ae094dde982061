{{ config(severity='warn') }}
-- Included respondents whose organisation name no alias knows (kept, flagged): add an alias.
select survey, response_id, organisation_name_key
from {{ ref('int_respondent_organisations') }}
where is_included
    and is_unknown_organisation
