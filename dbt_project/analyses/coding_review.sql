-- For the data engineer reviewing the free-text coding rules: every answer of the coded
-- questions with its category, how it was coded, and why it waits when it does (compile with
-- `dbt compile --select coding_review`, run the SQL in target/). Analysts read
-- marts.coded_answers and marts.coding_queue instead.
select
    wave,
    survey,
    response_id,
    question_key,
    answer_trimmed as answer,
    category,
    coding_method,
    rule_id,
    coding_source,
    queue_reason,
    suggested_categories,
    uncoded_parts
from {{ ref('int_coded_answers') }}
order by question_key, coding_method, category, wave, survey, response_id
