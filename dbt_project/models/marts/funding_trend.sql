-- Funding of the good-practice projects across waves: for each pair of consecutive waves and each funding source, both
-- waves' projects side by side with the change, and projects as a share of the wave's
-- included respondents (both surveys).
with

funding as (
    select * from {{ ref('funding') }}
),

responses as (
    select * from {{ ref('responses') }}
),

wave_respondents as (
    select wave, sum(included) as wave_respondents
    from responses
    group by wave
),

funding_figures as (
    select funding.*, wave_respondents.wave_respondents
    from funding
    left join wave_respondents
        on funding.wave = wave_respondents.wave
),

{{ wave_trend('funding_figures', ['funding_source'], ['projects'], 'projects') }}

select * from trend
