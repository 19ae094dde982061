-- For analysts reviewing the free-text coding: every coded answer with its category and how it
-- was coded (compile with `dbt compile --select coding_review`, run the SQL in target/).
select
    survey,
    response_id,
    question_key,
    answer_trimmed as answer,
    category,
    coding_method,
    rule_id
from {{ ref('int_coded_answers') }}
order by question_key, coding_method, category, survey, response_id
