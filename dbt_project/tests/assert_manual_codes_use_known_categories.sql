-- A manual code must use a category of the question's codebook (or a funding source).
with

known_categories as (
    select 'lead_agency' as question_key, category from {{ ref('codebook_lead_agency') }}
    union
    select 'funding', category from {{ ref('codebook_funding') }}
    union
    select 'funding', funding_source from {{ ref('funding') }}
    union
    select 'priorities', theme from {{ ref('codebook_priorities') }}
    union
    select 'demand', theme from {{ ref('codebook_demand') }}
)

select manual_codes.*
from {{ ref('manual_codes') }} as manual_codes
anti join known_categories
    on manual_codes.question_key = known_categories.question_key
    and manual_codes.category = known_categories.category
