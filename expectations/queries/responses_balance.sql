-- marts.responses beside what its own columns imply: every exported response is Completed or
-- Partial, and the included ones are the exported less the two exclusions of the contract's rule.
select
    wave,
    survey,
    exported,
    completed,
    partial,
    excluded_no_data,
    excluded_identity_only,
    included,
    completed + partial as completed_plus_partial,
    exported - excluded_no_data - excluded_identity_only as exported_less_excluded
from marts.responses
order by wave, survey
