{% macro coded_questions() %}
    -- The coded questions, and which take one category per answer (lead agency, funding) rather
    -- than a list of themes (priorities, demand): spelled here once for every coding model.
    select * from (
        values
            ('lead_agency', true),
            ('funding', true),
            ('priorities', false),
            ('demand', false)
    ) as coded_questions (question_key, is_single_category)
{% endmacro %}
