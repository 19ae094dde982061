-- Every code of every answer of the coded questions, one row per answer x category, with where
-- it came from: an analyst's coding workbook (coder, when, the workbook), the curated seed
-- manual_codes, or a codebook rule / combination. Answers that are not stated or wait in
-- marts.coding_queue have no row here.
with

coded_answers as (
    select * from {{ ref('int_coded_answers') }}
),

codes as (
    select
        wave,
        survey,
        response_id,
        question_key,
        question_number,
        answer_trimmed as answer,
        category,
        coding_method,
        rule_id,
        coding_source,
        workbook_sha256,
        coder,
        coded_at
    from coded_answers
    where category is not null
)

select * from codes
