{#- Whether two values of a report figure agree: counts exactly, percentages (unit 'percent...')
    within var('percent_tolerance'), as the report prints them to 2 dp. NULL on either side never
    agrees. marts.reconciliation compares the published value and the expected value of a known
    discrepancy with the computed one this same way. -#}
{% macro figures_agree(unit, left, right) -%}
    case
        when {{ left }} is null or {{ right }} is null then false
        when {{ unit }} like 'percent%'
            then abs({{ left }} - {{ right }}) <= {{ var('percent_tolerance') }}
        else {{ left }} = {{ right }}
    end
{%- endmacro %}
