-- organisation_aliases is hand-kept: an alias_key must be written the way the organisation name
-- key normalises a typed name (lower case, & as "and", runs of other characters as one space),
-- or it never matches anything. The fix is the key as assert_unknown_organisations shows it.
select alias_key, organisation
from {{ ref('organisation_aliases') }}
where alias_key is distinct from {{ organisation_name_key('alias_key') }}
