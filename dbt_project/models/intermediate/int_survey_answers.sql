-- Every non-empty question cell (Q1, Q2, Q4 onwards) of both surveys' latest deliveries.
-- A view: a pure union of two staging tables, so a table would only copy them (4 s at 1M
-- respondents). Its key is unique because each staging model's is (tested there) and survey
-- tells the two apart.
{{ config(materialized='view') }}

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
