-- Answers waiting for an analyst, one row per answer, with why and what the rules suggest:
--   no rule matched                      nothing in the codebook reads it;
--   several categories matched           a single-choice answer (lead agency, funding) names
--                                        bodies of several categories and no combination rule
--                                        says how they combine;
--   part of a list answer left uncoded   a priorities/demand answer has a part no rule reads
--                                        (uncoded_parts; its other themes already count);
--   answer changed since it was coded    an analyst's code no longer applies: a later export
--                                        changed the answer.
-- Every refresh writes them to exports/latest/coding_workbook.xlsx: the analyst codes them
-- there and drops the workbook in the coding folder (PHC_CODING_DIR).
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
        answer_trimmed as answer,
        queue_reason,
        suggested_categories,
        uncoded_parts
    from coded_answers
    where coding_method = 'queued'
)

select * from coding_queue
