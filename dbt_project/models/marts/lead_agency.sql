-- Table 2 per wave: good-practice projects per lead agency category (one category per answer).
with

coded_answers as (
    select * from {{ ref('int_coded_answers') }}
    where question_key = 'lead_agency'
),

waves as (
    select distinct wave from {{ ref('int_wave_surveys') }}
),

categories as (
    select distinct category from {{ ref('codebook_lead_agency') }}
    union
    select distinct category from {{ ref('manual_codes') }} where question_key = 'lead_agency'
),

projects_per_category as (
    select wave, category, count(*) as projects
    from coded_answers
    where category is not null
    group by wave, category
),

lead_agency as (
    select
        waves.wave,
        categories.category as lead_agency,
        coalesce(projects_per_category.projects, 0) as projects
    from waves
    cross join categories
    left join projects_per_category
        on waves.wave = projects_per_category.wave
        and categories.category = projects_per_category.category
)

select * from lead_agency
