/** Pieces the views share: a labelled select over a list of choices, a table's column heads. */

export function SelectField({ label, name, options, anyLabel, path }: { label: string; name: string; options: readonly string[]; anyLabel?: string; path?: string }) {
  return (
    <label>
      {label}
      <select name={name} data-path={path}>
        {anyLabel === undefined ? null : <option value="">{anyLabel}</option>}
        {options.map((option) => (
          <option value={option}>{option}</option>
        ))}
      </select>
    </label>
  );
}

/** A table's head: one column header per name. */
export function ColumnHeads({ names }: { names: readonly string[] }) {
  return (
    <thead>
      <tr>
        {names.map((name) => (
          <th scope="col">{name}</th>
        ))}
      </tr>
    </thead>
  );
}
