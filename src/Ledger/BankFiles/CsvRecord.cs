using System.Text;

namespace Salex.Ledger.BankFiles;

/// <summary>
/// Splits one line of a CSV file into its fields as RFC 4180 writes them: fields separated by commas; a field in
/// double quotes may hold commas, and a doubled quote stands for one quote (<c>"Peña, José ""Pepe"""</c> is
/// <c>Peña, José "Pepe"</c>). Spaces around a quoted field are ignored. A record is one line: no field of a bank
/// file may hold a line break, so a quote left open at the end of the line is a malformed line, not a field that
/// swallows the rest of the file. A quote inside an unquoted field is kept as it is.
/// </summary>
public static class CsvRecord
{
    /// <summary>The fields, or null with the <paramref name="problem"/> (an unclosed quote, text after a closing
    /// quote).</summary>
    public static IReadOnlyList<string>? Split(string line, out string? problem)
    {
        problem = null;
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (true)
        {
            field.Clear();
            var start = i;
            while (i < line.Length && line[i] == ' ')
                i++;
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        problem =
                            $"The quoted field {fields.Count + 1} is not closed (a quote opened at "
                            + $"position {start + 1}).";
                        return null;
                    }
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    field.Append(line[i++]);
                }
                while (i < line.Length && line[i] == ' ')
                    i++;
                if (i < line.Length && line[i] != ',')
                {
                    problem = $"Field {fields.Count + 1} has text after its closing quote (position {i + 1}).";
                    return null;
                }
            }
            else
            {
                i = start;
                while (i < line.Length && line[i] != ',')
                    field.Append(line[i++]);
            }
            fields.Add(field.ToString());
            if (i >= line.Length)
                return fields;
            i++; // the comma
        }
    }
}
