-- Table 2 across waves: for each pair of consecutive waves and each lead agency category, both
-- waves' projects side by side with the change, and projects as a share of the wave's
-- included respondents (both surveys).
with

lead_agency as (
    select * from {{ ref('lead_agency') }}
),

responses as (
    select * from {{ ref('responses') }}
),

wave_respondents as (
    select wave, sum(included) as wave_respondents
    from responses
    group by wave
),

lead_agency_figures as (
    select lead_agency.*, wave_respondents.wave_respondents
    from lead_agency
    left join wave_respondents
        on lead_agency.wave = wave_respondents.wave
),

{{ wave_trend('lead_agency_figures', ['lead_agency'], ['projects'], 'projects') }}

select * from trend
