-- The coded questions (lead agency, funding, priorities, demand): one row per answer x category,
-- with how it was coded (per survey wave: an answer is a wave's respondent's). In order:
--   analyst     an analyst's code from a returned coding workbook (stg_raw__analyst_codes), while
--               the answer still reads as the analyst saw it: replaces everything below;
--   curated     a row of the curated seed manual_codes (kept by the data engineer);
--   rule        the codebook rules, on the text of int_coding_parts:
--               single-choice (lead agency, funding): the categories whose rules match; one
--               category codes the answer; several code it only when a curated combination
--               (coding_combinations: all of `all_of`, nothing outside `all_of` + `any_of`) says
--               how; otherwise the answer is queued with them as suggestions. Bracketed
--               categories ("[council]") are signals that only combinations use;
--               list (priorities, demand): every theme some part matches; a part no rule matches
--               queues the answer (its coded themes still count); a part that matches only
--               "[no theme]" is explicitly nothing;
--   not stated  the answer carries no information (N/A, see above, TBC, -, ...): never queued;
--   queued      a person must code it: the row has no category, and queue_reason, the
--               suggested categories and the uncoded parts say why (marts.coding_queue).
-- Every answered (non-blank) cell of these questions yields at least one row.
with

free_text_answers as (
    select * from {{ ref('int_free_text_answers') }}
),

coding_parts as (
    select * from {{ ref('int_coding_parts') }}
),

manual_codes as (
    select * from {{ ref('manual_codes') }}
),

analyst_codes as (
    select * from {{ ref('stg_raw__analyst_codes') }}
),

combinations as (
    select
        question_key,
        combination_order,
        category,
        list_sort(string_split(all_of, '+')) as all_of,
        list_filter(string_split(coalesce(any_of, ''), '+'), lambda member: member <> '') as any_of
    from {{ ref('coding_combinations') }}
),

coded_questions as (
    {{ coded_questions() }}
),

codebook_rules as (
    select 'lead_agency' as question_key, category, rule_order, pattern
    from {{ ref('codebook_lead_agency') }}
    union all
    select 'funding' as question_key, category, rule_order, pattern
    from {{ ref('codebook_funding') }}
    union all
    select 'priorities' as question_key, theme as category, rule_order, pattern
    from {{ ref('codebook_priorities') }}
    union all
    select 'demand' as question_key, theme as category, rule_order, pattern
    from {{ ref('codebook_demand') }}
),

coded_question_answers as (
    select
        free_text_answers.wave,
        free_text_answers.survey,
        free_text_answers.response_id,
        free_text_answers.question_key,
        free_text_answers.question_number,
        free_text_answers.answer_trimmed,
        free_text_answers.is_not_stated,
        coded_questions.is_single_category
    from free_text_answers
    inner join coded_questions
        on free_text_answers.question_key = coded_questions.question_key
),

-- ---------------------------------------------------------------- the rules, per distinct text

part_matches as (
    -- each distinct text's parts are matched once: the patterns come from seeds (so unit tests
    -- can replace them), which makes RE2 compile per (part, rule) pair
    select
        coding_parts.question_key,
        coding_parts.answer_trimmed,
        coding_parts.is_single_category,
        coding_parts.part_number,
        coding_parts.part_text,
        codebook_rules.category,
        codebook_rules.rule_order
    from coding_parts
    inner join codebook_rules
        on coding_parts.question_key = codebook_rules.question_key
        and regexp_matches(coding_parts.part_text, codebook_rules.pattern, 'i')
),

text_categories as (
    -- single-choice texts: every category (or signal) some rule matched, its first rule
    select question_key, answer_trimmed, category, min(rule_order) as rule_order
    from part_matches
    where is_single_category
    group by question_key, answer_trimmed, category
),

text_category_sets as (
    select
        question_key,
        answer_trimmed,
        list_sort(list(category)) as matched,
        list_sort(list(category) filter (where category not like '[%')) as matched_categories,
        min(rule_order) filter (where category not like '[%') as first_rule_order
    from text_categories
    group by question_key, answer_trimmed
),

combination_codes as (
    -- the first combination (by order) that explains every category and signal matched
    select
        text_category_sets.question_key,
        text_category_sets.answer_trimmed,
        combinations.category,
        combinations.question_key || ':combination#' || combinations.combination_order as rule_id
    from text_category_sets
    inner join combinations
        on text_category_sets.question_key = combinations.question_key
        and len(text_category_sets.matched) > 1
        and list_has_all(text_category_sets.matched, combinations.all_of)
        and list_has_all(list_concat(combinations.all_of, combinations.any_of), text_category_sets.matched)
    qualify row_number() over (
        partition by text_category_sets.question_key, text_category_sets.answer_trimmed
        order by combinations.combination_order
    ) = 1
),

single_text_codes as (
    select
        text_category_sets.question_key,
        text_category_sets.answer_trimmed,
        case
            when len(text_category_sets.matched) = 1 and len(text_category_sets.matched_categories) = 1
                then text_category_sets.matched_categories[1]
            else combination_codes.category
        end as category,
        case
            when len(text_category_sets.matched) = 1 and len(text_category_sets.matched_categories) = 1
                then text_category_sets.question_key || '#' || text_category_sets.first_rule_order
            else combination_codes.rule_id
        end as rule_id,
        text_category_sets.matched_categories
    from text_category_sets
    left join combination_codes
        on text_category_sets.question_key = combination_codes.question_key
        and text_category_sets.answer_trimmed = combination_codes.answer_trimmed
),

list_text_codes as (
    -- list texts: every theme some part matched (its first rule as the id)
    select
        question_key,
        answer_trimmed,
        category,
        question_key || '#' || min(rule_order) as rule_id
    from part_matches
    where not is_single_category
        and category not like '[%'
    group by question_key, answer_trimmed, category
),

uncoded_list_parts as (
    -- list parts no rule matched (not even "[no theme]")
    select
        coding_parts.question_key,
        coding_parts.answer_trimmed,
        string_agg(coding_parts.part_text, ' | ' order by coding_parts.part_number) as uncoded_parts
    from coding_parts
    anti join part_matches
        on coding_parts.question_key = part_matches.question_key
        and coding_parts.answer_trimmed = part_matches.answer_trimmed
        and coding_parts.part_number = part_matches.part_number
    where not coding_parts.is_single_category
    group by coding_parts.question_key, coding_parts.answer_trimmed
),

-- ---------------------------------------------------------------- per answer: who codes it

answer_analyst_codes as (
    select
        coded_question_answers.wave,
        coded_question_answers.survey,
        coded_question_answers.response_id,
        coded_question_answers.question_key,
        analyst_codes.category,
        -- the workbook round trip keeps line breaks but not carriage returns
        replace(analyst_codes.answer_text, chr(13), '')
            = replace(coded_question_answers.answer_trimmed, chr(13), '') as is_current,
        analyst_codes.workbook_name,
        analyst_codes.workbook_sha256,
        analyst_codes.coder,
        analyst_codes.coded_at
    from coded_question_answers
    inner join analyst_codes
        on coded_question_answers.wave = analyst_codes.wave
        and coded_question_answers.survey = analyst_codes.survey
        and coded_question_answers.response_id = analyst_codes.response_id
        and coded_question_answers.question_key = analyst_codes.question_key
    where not coded_question_answers.is_not_stated
),

stale_analyst_answers as (
    -- the answer changed in a later export since the analyst coded it: back to the queue
    select
        wave,
        survey,
        response_id,
        question_key,
        string_agg(distinct category, '; ' order by category) as previous_categories,
        max(coder) as coder,
        max(workbook_name) as workbook_name,
        max(coded_at) as coded_at
    from answer_analyst_codes
    where not is_current
    group by wave, survey, response_id, question_key
),

analyst_coded as (
    select
        wave,
        survey,
        response_id,
        question_key,
        category,
        'analyst' as coding_method,
        cast(null as varchar) as rule_id,
        workbook_name as coding_source,
        workbook_sha256,
        coder,
        coded_at
    from answer_analyst_codes
    where is_current
),

decided_by_analyst as (
    select distinct wave, survey, response_id, question_key from answer_analyst_codes
),

curated_coded as (
    select distinct
        coded_question_answers.wave,
        coded_question_answers.survey,
        coded_question_answers.response_id,
        coded_question_answers.question_key,
        manual_codes.category,
        'curated' as coding_method,
        cast(null as varchar) as rule_id,
        'seeds/curated/manual_codes.csv' as coding_source,
        cast(null as varchar) as workbook_sha256,
        cast(null as varchar) as coder,
        cast(null as timestamptz) as coded_at
    from coded_question_answers
    inner join manual_codes
        on coded_question_answers.survey = manual_codes.survey
        and coded_question_answers.response_id = manual_codes.response_id
        and coded_question_answers.question_key = manual_codes.question_key
    anti join decided_by_analyst
        on coded_question_answers.wave = decided_by_analyst.wave
        and coded_question_answers.survey = decided_by_analyst.survey
        and coded_question_answers.response_id = decided_by_analyst.response_id
        and coded_question_answers.question_key = decided_by_analyst.question_key
    where not coded_question_answers.is_not_stated
),

decided_by_a_person as (
    select wave, survey, response_id, question_key from decided_by_analyst
    union
    select wave, survey, response_id, question_key from curated_coded
),

rule_answers as (
    -- the stated answers the rules decide
    select coded_question_answers.*
    from coded_question_answers
    anti join decided_by_a_person
        on coded_question_answers.wave = decided_by_a_person.wave
        and coded_question_answers.survey = decided_by_a_person.survey
        and coded_question_answers.response_id = decided_by_a_person.response_id
        and coded_question_answers.question_key = decided_by_a_person.question_key
    where not coded_question_answers.is_not_stated
),

rule_coded as (
    select
        rule_answers.wave,
        rule_answers.survey,
        rule_answers.response_id,
        rule_answers.question_key,
        text_codes.category,
        'rule' as coding_method,
        text_codes.rule_id,
        text_codes.rule_id as coding_source,
        cast(null as varchar) as workbook_sha256,
        cast(null as varchar) as coder,
        cast(null as timestamptz) as coded_at
    from rule_answers
    inner join (
        select question_key, answer_trimmed, category, rule_id
        from single_text_codes
        where category is not null
        union all
        select question_key, answer_trimmed, category, rule_id
        from list_text_codes
    ) as text_codes
        on rule_answers.question_key = text_codes.question_key
        and rule_answers.answer_trimmed = text_codes.answer_trimmed
),

queued as (
    -- stale analyst codes, and stated answers the rules leave to a person
    select
        rule_answers.wave,
        rule_answers.survey,
        rule_answers.response_id,
        rule_answers.question_key,
        case
            when single_text_codes.category is null and len(single_text_codes.matched_categories) > 1
                then 'several categories matched'
            when rule_answers.is_single_category then 'no rule matched'
            when uncoded_list_parts.uncoded_parts is not null
                and exists (
                    select 1 from list_text_codes
                    where list_text_codes.question_key = rule_answers.question_key
                        and list_text_codes.answer_trimmed = rule_answers.answer_trimmed
                )
                then 'part of a list answer left uncoded'
            else 'no rule matched'
        end as queue_reason,
        case
            when rule_answers.is_single_category
                then nullif(array_to_string(single_text_codes.matched_categories, '; '), '')
            else (
                select string_agg(list_text_codes.category, '; ' order by list_text_codes.category)
                from list_text_codes
                where list_text_codes.question_key = rule_answers.question_key
                    and list_text_codes.answer_trimmed = rule_answers.answer_trimmed
            )
        end as suggested_categories,
        uncoded_list_parts.uncoded_parts
    from rule_answers
    left join single_text_codes
        on rule_answers.question_key = single_text_codes.question_key
        and rule_answers.answer_trimmed = single_text_codes.answer_trimmed
    left join uncoded_list_parts
        on rule_answers.question_key = uncoded_list_parts.question_key
        and rule_answers.answer_trimmed = uncoded_list_parts.answer_trimmed
    where (rule_answers.is_single_category and single_text_codes.category is null)
        or (not rule_answers.is_single_category and (
            uncoded_list_parts.uncoded_parts is not null
            or not exists (
                select 1 from list_text_codes
                where list_text_codes.question_key = rule_answers.question_key
                    and list_text_codes.answer_trimmed = rule_answers.answer_trimmed
            )
        ))
    union all
    select
        wave,
        survey,
        response_id,
        question_key,
        'answer changed since it was coded: ' || coder || ' coded it ' || previous_categories
            || ' in ' || workbook_name || ' on ' || strftime(coded_at, '%Y-%m-%d') as queue_reason,
        previous_categories as suggested_categories,
        cast(null as varchar) as uncoded_parts
    from stale_analyst_answers
),

queued_rows as (
    select
        wave,
        survey,
        response_id,
        question_key,
        cast(null as varchar) as category,
        'queued' as coding_method,
        cast(null as varchar) as rule_id,
        cast(null as varchar) as coding_source,
        cast(null as varchar) as workbook_sha256,
        cast(null as varchar) as coder,
        cast(null as timestamptz) as coded_at,
        queue_reason,
        suggested_categories,
        uncoded_parts
    from queued
),

not_stated_rows as (
    select
        wave,
        survey,
        response_id,
        question_key,
        cast(null as varchar) as category,
        'not stated' as coding_method,
        cast(null as varchar) as rule_id,
        cast(null as varchar) as coding_source,
        cast(null as varchar) as workbook_sha256,
        cast(null as varchar) as coder,
        cast(null as timestamptz) as coded_at,
        cast(null as varchar) as queue_reason,
        cast(null as varchar) as suggested_categories,
        cast(null as varchar) as uncoded_parts
    from coded_question_answers
    where is_not_stated
),

all_codes as (
    select
        *,
        cast(null as varchar) as queue_reason,
        cast(null as varchar) as suggested_categories,
        cast(null as varchar) as uncoded_parts
    from (
        select * from analyst_coded
        union all
        select * from curated_coded
        union all
        select * from rule_coded
    ) as codes
    union all
    select * from queued_rows
    union all
    select * from not_stated_rows
),

coded_answers as (
    select
        coded_question_answers.wave,
        coded_question_answers.survey,
        coded_question_answers.response_id,
        coded_question_answers.question_key,
        coded_question_answers.question_number,
        coded_question_answers.answer_trimmed,
        all_codes.category,
        all_codes.coding_method,
        all_codes.rule_id,
        all_codes.coding_source,
        all_codes.workbook_sha256,
        all_codes.coder,
        all_codes.coded_at,
        all_codes.queue_reason,
        all_codes.suggested_categories,
        all_codes.uncoded_parts
    from coded_question_answers
    inner join all_codes
        on coded_question_answers.wave = all_codes.wave
        and coded_question_answers.survey = all_codes.survey
        and coded_question_answers.response_id = all_codes.response_id
        and coded_question_answers.question_key = all_codes.question_key
)

select * from coded_answers
