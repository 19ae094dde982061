{#- Custom schemas are used as they are (staging, intermediate, marts, seeds), not prefixed with
    the target schema: analysts query marts.area_of_work, not main_marts.area_of_work. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
