using Spectre.Console;

namespace ActorChain.Cli.Commands;

internal static class Tables
{
    /// <summary>
    /// A compact table whose cells do not wrap: redirected output is 80 columns wide, and an address or
    /// hash split over two lines is harder to read and to grep than one cut short.
    /// </summary>
    public static Table Create(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(column).NoWrap().Padding(0, 0, 2, 0));
        }

        return table;
    }
}
