-- No answer of a coded question is silently dropped: every answered cell of lead_agency,
-- funding, priorities and demand has at least one row in int_coded_answers, and single-category
-- questions have exactly one.
with

coded_question_answers as (
    select survey, response_id, question_key
    from {{ ref('int_free_text_answers') }}
    where question_key in ('lead_agency', 'funding', 'priorities', 'demand')
),

coded_rows as (
    select survey, response_id, question_key, count(*) as codes
    from {{ ref('int_coded_answers') }}
    group by survey, response_id, question_key
)

select coded_question_answers.*, coded_rows.codes
from coded_question_answers
left join coded_rows
    on coded_question_answers.survey = coded_rows.survey
    and coded_question_answers.response_id = coded_rows.response_id
    and coded_question_answers.question_key = coded_rows.question_key
where coded_rows.codes is null
    or (coded_question_answers.question_key in ('lead_agency', 'funding') and coded_rows.codes <> 1)
