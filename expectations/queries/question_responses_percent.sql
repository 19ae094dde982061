-- marts.question_responses with the percentage recomputed: round(100 * response_total / answered, 2).
-- percent_error is 0 when they agree, also when both are NULL (nobody answered the question);
-- a percentage missing on one side only is an error (-1 stands for NULL). Q4 has no percentage,
-- as in Annex 2: its NULL percentages are not judged.
select
    wave,
    survey,
    question,
    item,
    response_total,
    answered,
    response_percent,
    round(100.0 * response_total / nullif(answered, 0), 2) as expected_percent,
    case
        when question = 4 and response_percent is null then null
        else abs(
            coalesce(response_percent, -1)
            - coalesce(round(100.0 * response_total / nullif(answered, 0), 2), -1)
        )
    end as percent_error
from marts.question_responses
order by wave, survey, question, item
