-- The categories an analyst may give each coded question (the coding workbook's drop-downs,
-- and what the ingest accepts from a returned workbook): every category of the question's
-- codebook or combinations, without the bracketed signals only combinations use.
with

codebook_categories as (
    select 'lead_agency' as question_key, category, rule_order from {{ ref('codebook_lead_agency') }}
    union all
    select 'funding' as question_key, category, rule_order from {{ ref('codebook_funding') }}
    union all
    select 'priorities' as question_key, theme as category, rule_order from {{ ref('codebook_priorities') }}
    union all
    select 'demand' as question_key, theme as category, rule_order from {{ ref('codebook_demand') }}
    union all
    select question_key, category, 1000 + combination_order from {{ ref('coding_combinations') }}
),

coding_categories as (
    select
        question_key,
        category,
        question_key in ('lead_agency', 'funding') as is_single_choice,
        min(rule_order) as category_order
    from codebook_categories
    where category not like '[%'
    group by question_key, category
)

select * from coding_categories
