{#- The columns of `columns` that hold NULL, with how many rows: one test per model instead of
    one dbt node per column (each node costs ~35 ms of dbt overhead, whatever the data). -#}
{% test not_null_columns(model, columns) %}
{% for column in columns %}
select '{{ column }}' as null_column, count(*) as null_rows
from {{ model }}
where {{ adapter.quote(column) }} is null
having count(*) > 0
{% if not loop.last %}union all{% endif %}
{% endfor %}
{% endtest %}
