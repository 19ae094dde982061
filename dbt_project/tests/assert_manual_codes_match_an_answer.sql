{{ config(severity='warn') }}
-- A manual code that matches no stated answer of the latest deliveries does nothing: warn.
select manual_codes.*
from {{ ref('manual_codes') }} as manual_codes
anti join {{ ref('int_free_text_answers') }} as free_text_answers
    on manual_codes.survey = free_text_answers.survey
    and manual_codes.response_id = free_text_answers.response_id
    and manual_codes.question_key = free_text_answers.question_key
    and not free_text_answers.is_not_stated
