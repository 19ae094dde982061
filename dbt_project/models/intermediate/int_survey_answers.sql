-- Every non-empty question cell (Q1, Q2, Q4 onwards) of both surveys' latest deliveries.
with

police_answers as (
    select * from {{ ref('stg_police__answers') }}
),

national_answers as (
    select * from {{ ref('stg_national__answers') }}
),

survey_answers as (
    select * from police_answers
    union all by name
    select * from national_answers
)

select * from survey_answers
