{#- Staging for one survey version. Both versions share these macros: they differ only in the
    source table and in the header text of Q1/Q2, and the question_map seed conforms the rest
    (per questionnaire: a wave's questionnaire may ask other Q4 areas). Only the rows of the
    version's current delivery of each wave pass (is_current of stg_raw__deliveries, where the
    current-delivery rule is written once); every row carries its wave and questionnaire. -#}

{% macro stage_survey_responses(survey, organisation_column, role_column) %}
with

current_delivery as (
    select sha256, wave, questionnaire
    from {{ ref('stg_raw__deliveries') }}
    where survey = '{{ survey }}'
        and is_current
),

delivered_rows as (
    select raw_rows.*, current_delivery.wave, current_delivery.questionnaire
    from {{ source('raw', survey ~ '_responses') }} as raw_rows
    inner join current_delivery
        on raw_rows._delivery_sha256 = current_delivery.sha256
),

responses as (
    select
        wave,
        questionnaire,
        '{{ survey }}' as survey,
        cast({{ strip_whitespace('"Response ID"') }} as bigint) as response_id,
        {{ parse_survey_timestamp('"Started"') }} as started_at,
        {{ parse_survey_timestamp('"Ended"') }} as ended_at,
        {{ strip_whitespace('"Status"') }} as status,
        "{{ organisation_column }}" as organisation_name_raw,
        nullif({{ strip_whitespace('"' ~ organisation_column ~ '"') }}, '') as organisation_name,
        nullif({{ strip_whitespace('"' ~ role_column ~ '"') }}, '') as role,
        -- Q3 contact details: only whether each was given, never the value.
        {{ is_answered('"Q3. Name"') }} as has_contact_name,
        {{ is_answered('"Q3. Phone number"') }} as has_contact_phone,
        {{ is_answered('"Q3. Email"') }} as has_contact_email,
        _delivery_sha256 as delivery_sha256,
        _file_name as delivery_file_name,
        _exported_at as exported_at,
        _row_number as source_row_number
    from delivered_rows
)

select * from responses
{% endmacro %}


{% macro stage_survey_answers(survey) %}
with

current_delivery as (
    select sha256, wave, questionnaire
    from {{ ref('stg_raw__deliveries') }}
    where survey = '{{ survey }}'
        and is_current
),

question_columns as (
    -- Q1, Q2 and Q4 onwards; the Q3 contact columns (personal data) and IP Address never pass.
    -- A column of another questionnaire is NULL in these rows, and the unpivot skips NULLs.
    select
        current_delivery.wave,
        current_delivery.questionnaire,
        cast({{ strip_whitespace('raw_rows."Response ID"') }} as bigint) as response_id,
        columns('^Q([0-24-9]|[0-9][0-9]+)\. ')
    from {{ source('raw', survey ~ '_responses') }} as raw_rows
    inner join current_delivery
        on raw_rows._delivery_sha256 = current_delivery.sha256
),

answers_long as (
    unpivot question_columns
    on columns('^Q')
    into name column_name value answer
),

question_map as (
    select * from {{ ref('question_map') }}
    where survey = '{{ survey }}'
),

answers as (
    select
        answers_long.wave,
        answers_long.questionnaire,
        '{{ survey }}' as survey,
        answers_long.response_id,
        question_map.question_key,
        question_map.question_number,
        question_map.item,
        question_map.item_order,
        question_map.answer_kind,
        answers_long.column_name,
        answers_long.answer,
        {{ strip_whitespace('answers_long.answer') }} as answer_trimmed,
        {{ is_answered('answers_long.answer') }} as is_answered
    from answers_long
    left join question_map
        on answers_long.questionnaire = question_map.questionnaire
        and answers_long.column_name = question_map.column_name
)

select * from answers
{% endmacro %}
