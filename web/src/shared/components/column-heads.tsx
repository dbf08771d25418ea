/**
 * The header row of a money table: the describing columns first, then the amounts, which right-align (`amount`) so
 * their digits line up down the column.
 */
export function ColumnHeads({ text, amounts }: { text: string[]; amounts: string[] }) {
  return (
    <thead>
      <tr>
        {text.map((label) => (
          <th key={label} scope="col">
            {label}
          </th>
        ))}
        {amounts.map((label) => (
          <th key={label} scope="col" className="amount">
            {label}
          </th>
        ))}
      </tr>
    </thead>
  );
}
