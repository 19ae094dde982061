-- The coded questions (lead agency, funding, priorities, demand): one row per answer x category,
-- with how it was coded (per survey wave: an answer is a wave's respondent's):
--   manual      a manual_codes row exists for the answer: its categories replace the rules';
--   rule        codebook rules matched: lead agency and funding take the lowest rule_order only,
--               priorities and demand take every theme with a matching rule;
--   not stated  the answer is only NA / N/A / n/a / None / - : never coded, never queued;
--   queued      nothing matched and no manual code: the answer waits in marts.coding_queue.
-- Every answered (non-blank) cell of these questions yields at least one row.
with

free_text_answers as (
    select * from {{ ref('int_free_text_answers') }}
),

manual_codes as (
    select * from {{ ref('manual_codes') }}
),

coded_questions as (
    select * from (
        values
            ('lead_agency', true),
            ('funding', true),
            ('priorities', false),
            ('demand', false)
    ) as coded_questions (question_key, is_single_category)
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
        free_text_answers.answer,
        free_text_answers.answer_trimmed,
        free_text_answers.is_not_stated,
        coded_questions.is_single_category
    from free_text_answers
    inner join coded_questions
        on free_text_answers.question_key = coded_questions.question_key
),

manually_coded as (
    select distinct
        coded_question_answers.wave,
        coded_question_answers.survey,
        coded_question_answers.response_id,
        coded_question_answers.question_key,
        manual_codes.category,
        'manual' as coding_method,
        cast(null as varchar) as rule_id
    from coded_question_answers
    inner join manual_codes
        on coded_question_answers.survey = manual_codes.survey
        and coded_question_answers.response_id = manual_codes.response_id
        and coded_question_answers.question_key = manual_codes.question_key
    where not coded_question_answers.is_not_stated
),

distinct_stated_answers as (
    -- each distinct text is matched once: the patterns come from seeds (so unit tests can
    -- replace them), which makes RE2 compile per (text, rule) pair
    select distinct question_key, answer_trimmed
    from coded_question_answers
    where not is_not_stated
),

text_rule_matches as (
    select
        distinct_stated_answers.question_key,
        distinct_stated_answers.answer_trimmed,
        codebook_rules.category,
        codebook_rules.rule_order
    from distinct_stated_answers
    inner join codebook_rules
        on distinct_stated_answers.question_key = codebook_rules.question_key
        and regexp_matches(distinct_stated_answers.answer_trimmed, codebook_rules.pattern, 'i')
),

rule_matches as (
    select
        coded_question_answers.wave,
        coded_question_answers.survey,
        coded_question_answers.response_id,
        coded_question_answers.question_key,
        coded_question_answers.is_single_category,
        text_rule_matches.category,
        text_rule_matches.rule_order
    from coded_question_answers
    inner join text_rule_matches
        on coded_question_answers.question_key = text_rule_matches.question_key
        and coded_question_answers.answer_trimmed = text_rule_matches.answer_trimmed
    where not coded_question_answers.is_not_stated
),

single_category_rule_codes as (
    -- lead agency, funding: the first matching rule only
    select wave, survey, response_id, question_key, category, rule_order
    from rule_matches
    where is_single_category
    qualify row_number() over (
        partition by wave, survey, response_id, question_key
        order by rule_order, category
    ) = 1
),

multi_theme_rule_codes as (
    -- priorities, demand: every theme with a matching rule (its first matching rule as the id)
    select wave, survey, response_id, question_key, category, min(rule_order) as rule_order
    from rule_matches
    where not is_single_category
    group by wave, survey, response_id, question_key, category
),

rule_coded as (
    select
        rule_codes.wave,
        rule_codes.survey,
        rule_codes.response_id,
        rule_codes.question_key,
        rule_codes.category,
        'rule' as coding_method,
        rule_codes.question_key || '#' || rule_codes.rule_order as rule_id
    from (
        select * from single_category_rule_codes
        union all
        select * from multi_theme_rule_codes
    ) as rule_codes
    anti join manually_coded
        on rule_codes.wave = manually_coded.wave
        and rule_codes.survey = manually_coded.survey
        and rule_codes.response_id = manually_coded.response_id
        and rule_codes.question_key = manually_coded.question_key
),

codes as (
    select * from manually_coded
    union all
    select * from rule_coded
),

uncoded as (
    -- not stated, or neither a rule nor a manual code: one row without a category
    select
        coded_question_answers.wave,
        coded_question_answers.survey,
        coded_question_answers.response_id,
        coded_question_answers.question_key,
        cast(null as varchar) as category,
        case when coded_question_answers.is_not_stated then 'not stated' else 'queued' end as coding_method,
        cast(null as varchar) as rule_id
    from coded_question_answers
    anti join codes
        on coded_question_answers.wave = codes.wave
        and coded_question_answers.survey = codes.survey
        and coded_question_answers.response_id = codes.response_id
        and coded_question_answers.question_key = codes.question_key
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
        all_codes.rule_id
    from coded_question_answers
    inner join (
        select * from codes
        union all
        select * from uncoded
    ) as all_codes
        on coded_question_answers.wave = all_codes.wave
        and coded_question_answers.survey = all_codes.survey
        and coded_question_answers.response_id = all_codes.response_id
        and coded_question_answers.question_key = all_codes.question_key
)

select * from coded_answers
