-- The text the codebook rules read, per distinct stated answer of a coded question: the answer
-- rewritten by the curated substitutions (coding_substitutions: in step order, the question's
-- and those for all questions; e.g. "Police and Crime Commissioner" becomes "OPCC", so the
-- commissioner never reads as the force), then
--   single-choice questions (lead agency, funding): the whole text, one part;
--   list questions (priorities, demand): split into parts at line breaks, ";", ",", " / ", " and ",
--   " & ", " plus " and numbered items, each part without its bullet or number; empty parts go.
-- Every part must be coded or queued (int_coded_answers): nothing is dropped.
with recursive

free_text_answers as (
    select * from {{ ref('int_free_text_answers') }}
),

substitutions as (
    select * from {{ ref('coding_substitutions') }}
),

coded_questions as (
    {{ coded_questions() }}
),

stated_texts as (
    select distinct free_text_answers.question_key, free_text_answers.answer_trimmed
    from free_text_answers
    inner join coded_questions
        on free_text_answers.question_key = coded_questions.question_key
    where not free_text_answers.is_not_stated
),

question_steps as (
    -- each question's substitutions in order, numbered 1, 2, ... for the recursion below
    select
        coded_questions.question_key,
        substitutions.pattern,
        coalesce(substitutions.replacement, '') as replacement,
        row_number() over (
            partition by coded_questions.question_key order by substitutions.step
        ) as step_number
    from coded_questions
    inner join substitutions
        on substitutions.question_key in (coded_questions.question_key, 'all')
),

rewriting (question_key, answer_trimmed, step_number, coding_text) as (
    select question_key, answer_trimmed, 0, answer_trimmed
    from stated_texts
    union all
    select
        rewriting.question_key,
        rewriting.answer_trimmed,
        question_steps.step_number,
        regexp_replace(rewriting.coding_text, question_steps.pattern, question_steps.replacement, 'gi')
    from rewriting
    inner join question_steps
        on rewriting.question_key = question_steps.question_key
        and question_steps.step_number = rewriting.step_number + 1
),

rewritten_texts as (
    select question_key, answer_trimmed, coding_text
    from rewriting
    qualify step_number = max(step_number) over (partition by question_key, answer_trimmed)
),

split_texts as (
    select
        rewritten_texts.question_key,
        rewritten_texts.answer_trimmed,
        coded_questions.is_single_category,
        case
            when coded_questions.is_single_category then [rewritten_texts.coding_text]
            else regexp_split_to_array(
                rewritten_texts.coding_text,
                '\r?\n|;|,|\s+/\s+|\s+(and|&|plus)\s+|\s+\d{1,2}[.)]\s+|•'
            )
        end as raw_parts
    from rewritten_texts
    inner join coded_questions
        on rewritten_texts.question_key = coded_questions.question_key
),

numbered_parts as (
    select
        question_key,
        answer_trimmed,
        is_single_category,
        unnest(raw_parts) as raw_part,
        unnest(generate_series(1, len(raw_parts))) as part_number
    from split_texts
),

coding_parts as (
    select
        question_key,
        answer_trimmed,
        is_single_category,
        part_number,
        -- without a leading bullet or item number and surrounding white space or punctuation
        regexp_replace(
            regexp_replace(raw_part, '^[\s\-*•·]*(\d{1,2}[.)]\s*)?', ''),
            '[\s.;:,\-]+$',
            ''
        ) as part_text
    from numbered_parts
)

select *
from coding_parts
where regexp_matches(part_text, '[[:alnum:]]')
