/** Form fields the views share: a labelled select over a list of choices. */

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
