-- Answers waiting for an analyst: non-empty, not "not stated", matched by no codebook rule and
-- covered by no manual code. Code them by adding a rule or a row to seeds/manual_codes.csv.
with

coded_answers as (
    select * from {{ ref('int_coded_answers') }}
),

coding_queue as (
    select
        wave,
        survey,
        response_id,
        question_key,
        question_number,
        answer_trimmed as answer
    from coded_answers
    where coding_method = 'queued'
)

select * from coding_queue
