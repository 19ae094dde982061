-- A curated organisation is also an alias of itself: a respondent who types the canonical name
-- (in any case, with & or "and") resolves without a further row.
select organisations.organisation
from {{ ref('organisations') }} as organisations
anti join {{ ref('organisation_aliases') }} as organisation_aliases
    on {{ organisation_name_key('organisations.organisation') }} = organisation_aliases.alias_key
    and organisations.organisation = organisation_aliases.organisation
