-- A manual code must use a category of the question (marts.coding_categories: its codebook's
-- and combinations' categories, without the bracketed signals) or a funding source.
with

known_categories as (
    select question_key, category from {{ ref('coding_categories') }}
    union
    select 'funding', funding_source from {{ ref('funding') }}
)

select manual_codes.*
from {{ ref('manual_codes') }} as manual_codes
anti join known_categories
    on manual_codes.question_key = known_categories.question_key
    and manual_codes.category = known_categories.category
