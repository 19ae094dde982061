-- One row per response of the current delivery of each survey in each wave, with the contract's inclusion
-- rule: no data (nothing in any question column, Q3 included) / identity only (something in
-- Q1-Q3, nothing from Q4 on) / included (anything from Q4 on), whatever the Status.
with

police_responses as (
    select * from {{ ref('stg_police__responses') }}
),

national_responses as (
    select * from {{ ref('stg_national__responses') }}
),

survey_answers as (
    select * from {{ ref('int_survey_answers') }}
),

responses as (
    select * from police_responses
    union all by name
    select * from national_responses
),

answer_presence as (
    select
        wave,
        survey,
        response_id,
        bool_or(is_answered and question_number <= 3) as has_q1_q2_answer,
        bool_or(is_answered and question_number >= 4) as has_answer_from_q4
    from survey_answers
    group by wave, survey, response_id
),

respondents_flagged as (
    select
        responses.wave,
        responses.questionnaire,
        responses.survey,
        responses.response_id,
        responses.status,
        responses.started_at,
        responses.ended_at,
        responses.organisation_name_raw,
        responses.organisation_name,
        responses.role,
        responses.has_contact_name,
        responses.has_contact_phone,
        responses.has_contact_email,
        coalesce(answer_presence.has_q1_q2_answer, false)
            or responses.has_contact_name
            or responses.has_contact_phone
            or responses.has_contact_email as has_identity_answer,
        coalesce(answer_presence.has_answer_from_q4, false) as has_answer_from_q4,
        responses.delivery_sha256,
        responses.exported_at
    from responses
    left join answer_presence
        on responses.wave = answer_presence.wave
        and responses.survey = answer_presence.survey
        and responses.response_id = answer_presence.response_id
),

respondents as (
    select
        *,
        case
            when has_answer_from_q4 then 'included'
            when has_identity_answer then 'identity only'
            else 'no data'
        end as inclusion_status,
        has_answer_from_q4 as is_included,
        case
            when has_answer_from_q4 then 'answered at least one question from Q4 on'
            when has_identity_answer then 'only organisation, role and/or contact details (Q1-Q3) entered'
            else 'nothing entered in any question column'
        end as inclusion_reason
    from respondents_flagged
)

select * from respondents
