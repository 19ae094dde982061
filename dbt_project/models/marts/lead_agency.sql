-- Table 2: good-practice projects per lead agency category (one category per answer).
with

coded_answers as (
    select * from {{ ref('int_coded_answers') }}
    where question_key = 'lead_agency'
),

categories as (
    select distinct category from {{ ref('codebook_lead_agency') }}
    union
    select distinct category from {{ ref('manual_codes') }} where question_key = 'lead_agency'
),

projects_per_category as (
    select category, count(*) as projects
    from coded_answers
    where category is not null
    group by category
),

lead_agency as (
    select
        categories.category as lead_agency,
        coalesce(projects_per_category.projects, 0) as projects
    from categories
    left join projects_per_category
        on categories.category = projects_per_category.category
)

select * from lead_agency
