-- Audit: every figure of the report the warehouse computes, named with the figure ids of
-- published_figures.csv, read from the marts (and, for the few figures no mart shows, from the
-- intermediate models the marts are built from). Figures the data cannot give (e.g.
-- organisations invited) are simply absent here. The report describes one survey wave (the
-- survey_waves seed's is_report_wave): every figure is computed over that wave's rows only, so a
-- later wave adds to the marts without moving a reconciled figure. Read by marts.reconciliation.
with

report_waves as (
    select distinct wave from {{ ref('int_wave_surveys') }}
    where is_report_wave
),

area_of_work as (
    select * from {{ ref('area_of_work') }}
    where wave in (select wave from report_waves)
),

area_of_work_by_survey as (
    select * from {{ ref('area_of_work_by_survey') }}
    where wave in (select wave from report_waves)
),

question_responses as (
    select * from {{ ref('question_responses') }}
    where wave in (select wave from report_waves)
),

hwb_representation as (
    select * from {{ ref('hwb_representation') }}
    where wave in (select wave from report_waves)
),

lead_agency as (
    select * from {{ ref('lead_agency') }}
    where wave in (select wave from report_waves)
),

funding as (
    select * from {{ ref('funding') }}
    where wave in (select wave from report_waves)
),

responses as (
    select * from {{ ref('responses') }}
    where wave in (select wave from report_waves)
),

coverage as (
    select * from {{ ref('coverage') }}
    where wave in (select wave from report_waves)
),

coded_answers as (
    select * from {{ ref('int_coded_answers') }}
    where wave in (select wave from report_waves)
),

respondent_organisations as (
    select * from {{ ref('int_respondent_organisations') }}
    where is_included
        and wave in (select wave from report_waves)
),

table1_figures as (
    unpivot (select area, completed, active, future, total from area_of_work)
    on completed, active, future, total
    into name measure value computed
),

annex2_q4_figures as (
    unpivot (select survey, area, completed, active, future, total from area_of_work_by_survey)
    on completed, active, future, total
    into name measure value computed
),

annex2_item_figures as (
    unpivot (
        select survey, question, item, response_total, answered, response_percent
        from question_responses
        where question <> 4 and not (survey = 'police' and question = 9)
    )
    on response_total, answered, response_percent
    into name measure value computed
),

funding_figure_ids as (
    select * from (
        values
            ('jointly funded', 'funding.jointly_funded'),
            ('health', 'funding.health'),
            ('Home Office', 'funding.home_office'),
            ('OPCC', 'funding.opcc'),
            ('police', 'funding.police'),
            ('cost-neutral / no additional funding', 'funding.cost_neutral')
    ) as funding_figure_ids (funding_source, figure_id)
),

computed_figures as (
    select 'table1.' || area || '.' || measure as figure_id, cast(computed as double) as computed
    from table1_figures

    union all
    select 'annex2.' || survey || '.q4.' || area || '.' || measure, computed
    from annex2_q4_figures

    union all
    select distinct 'annex2.' || survey || '.q4.answered', answered
    from question_responses
    where question = 4

    union all
    select 'annex2.' || survey || '.q' || question || '.' || item || '.' || measure, computed
    from annex2_item_figures
    where computed is not null

    union all
    select 'annex2.police.q9.' || lower(replace(answer, ' ', '_')), respondents
    from hwb_representation
    union all
    select 'annex2.police.q9.' || lower(replace(answer, ' ', '_')) || '.pct', response_percent
    from hwb_representation
    union all
    select distinct 'annex2.police.q9.answered', answered
    from hwb_representation

    union all
    select 'table2.' || lead_agency, projects
    from lead_agency

    union all
    -- good practice examples given: lead agency answers that state something (not NA / None / -)
    select 'findings.good_practice_examples', count(*)
    from coded_answers
    where question_key = 'lead_agency'
        and coding_method <> 'not stated'

    union all
    select funding_figure_ids.figure_id, funding.projects
    from funding
    inner join funding_figure_ids
        on funding.funding_source = funding_figure_ids.funding_source
    union all
    select 'funding.with_funding_information', sum(funding.projects)
    from funding
    inner join funding_figure_ids
        on funding.funding_source = funding_figure_ids.funding_source
    where funding.funding_source <> 'cost-neutral / no additional funding'

    union all
    select 'responses.total', sum(included) from responses
    union all
    select 'responses.' || survey, included from responses
    union all
    select 'responses.' || survey || '.completed', completed from responses
    union all
    select 'responses.' || survey || '.partial', partial from responses
    union all
    select 'responses.' || survey || '.excluded_no_data', excluded_no_data from responses
    union all
    select 'responses.' || survey || '.excluded_identity_only', excluded_identity_only from responses
    union all
    select 'responses.' || survey || '.partial_included', partial_included from responses

    union all
    select 'responses.national.regional_roles', count(*) filter (where is_regional_role)
    from respondent_organisations
    where survey = 'national'
    union all
    select 'responses.national.national_roles', count(*) filter (where not is_regional_role)
    from respondent_organisations
    where survey = 'national'

    union all
    select 'responses.force_areas_represented', count(*) filter (where responded)
    from coverage
    where coverage_type = 'police force area'
    union all
    select 'responses.force_areas_total', count(*)
    from coverage
    where coverage_type = 'police force area'
    union all
    -- the report prints this share rounded to a whole percent
    select 'responses.force_areas_represented_pct', round(100.0 * count(*) filter (where responded) / count(*))
    from coverage
    where coverage_type = 'police force area'

    union all
    select 'responses.national_orgs_participating', count(distinct root_organisation)
    from respondent_organisations
    where survey = 'national'
)

select * from computed_figures
