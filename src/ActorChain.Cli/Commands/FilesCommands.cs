using System.CommandLine;
using System.Globalization;
using ActorChain.Cli.Files;
using ActorChain.Cli.Http;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ActorChain.Cli.Commands;

/// <summary><c>files upload|get|search|tag</c>.</summary>
internal static class FilesCommands
{
    public static Command Build(CommandContext context)
    {
        var files = new Command("files", "Files: upload folders resumably, fetch, search and tag.");
        files.Subcommands.Add(BuildUpload(context));
        files.Subcommands.Add(BuildGet(context));
        files.Subcommands.Add(BuildSearch(context));
        files.Subcommands.Add(BuildTag(context));
        return files;
    }

    private static Command BuildUpload(CommandContext context)
    {
        var upload = new Command("upload", "Upload a file or a folder (recursive, parallel, resumable: content the node already has is skipped).");
        var path = new Argument<string>("path") { Description = "A file or a folder." };
        var parallel = new Option<int>("--parallel", "-p") { Description = "Files in flight at once.", DefaultValueFactory = _ => 4 };
        var tags = new Option<string[]>("--tag") { Description = "Tag every uploaded file (repeatable).", AllowMultipleArgumentsPerToken = false };
        upload.Arguments.Add(path);
        upload.Options.Add(parallel);
        upload.Options.Add(tags);
        context.SetAction(upload, (inv, ct) => UploadAsync(inv, inv.Get(path), inv.Get(parallel), inv.Parse.GetValue(tags) ?? [], ct));
        return upload;
    }

    private static async Task<int> UploadAsync(Invocation inv, string path, int parallel, string[] tags, CancellationToken ct)
    {
        if (parallel is < 1 or > 256)
        {
            throw new UsageException($"--parallel is 1 to 256, not {parallel}.");
        }

        var files = FolderWalk.Walk(path);
        var progress = new TransferProgress(files.Count, files.Sum(f => f.Size));
        var uploader = new FolderUploader(inv.Client(), parallel, tags);
        UploadSummary summary;
        if (inv.Json)
        {
            summary = await uploader.RunAsync(files, progress, null, ct);
        }
        else
        {
            summary = null!;
            await inv.Console.Ui.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn { Width = 30 }, new PercentageColumn(), new TransferColumn(progress))
                .StartAsync(async p =>
                {
                    var task = p.AddTask($"Uploading to {inv.Node}", maxValue: Math.Max(1, files.Count));
                    summary = await uploader.RunAsync(files, progress, () => task.Increment(1), ct);
                    task.StopTask();
                });
        }

        WriteSummary(inv, summary);
        return summary.Failed == 0 && !summary.Cancelled ? CliApp.Ok : CliApp.Failure;
    }

    private static void WriteSummary(Invocation inv, UploadSummary s)
    {
        if (inv.Json)
        {
            inv.WriteJson(s);
            return;
        }

        var mb = s.BytesUploaded / 1_000_000.0;
        var seconds = Math.Max(s.ElapsedSeconds, 1e-3);
        inv.Console.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{(s.Cancelled ? "Cancelled" : "Done")}: {s.Uploaded} uploaded, {s.AlreadyStored} already stored, {s.Failed} failed of {s.Total} files; {mb:0.00} MB sent in {s.ElapsedSeconds:0.0} s ({(s.Uploaded + s.AlreadyStored + s.Failed) / seconds:0.0} files/s, {mb / seconds:0.00} MB/s)."));
        foreach (var failure in s.Failures)
        {
            inv.Console.Out.WriteLine($"  failed: {failure.Path}: {failure.Error}");
        }

        if (s.Cancelled || s.Failed > 0)
        {
            inv.Console.Out.WriteLine("Run the same command again to upload the rest; stored files are skipped.");
        }
    }

    private static Command BuildGet(CommandContext context)
    {
        var get = new Command("get", "Show a file's record; with -o also save its bytes (checked against its SHA-256).");
        var id = new Argument<string>("id") { Description = "The file id (its SHA-256)." };
        var output = new Option<string?>("--output", "-o") { Description = "Save the bytes here (a folder keeps the stored file name)." };
        get.Arguments.Add(id);
        get.Options.Add(output);
        context.SetAction(get, async (inv, ct) =>
        {
            var client = inv.Client();
            var file = await client.FileAsync(inv.Get(id), ct);
            if (file is null)
            {
                await inv.Console.Error.WriteLineAsync($"actorchain: no file '{inv.Get(id)}' on {inv.Node}.");
                return CliApp.Failure;
            }

            string? saved = null;
            if (inv.Parse.GetValue(output) is { } target)
            {
                saved = Directory.Exists(target) ? Path.Combine(target, Path.GetFileName(file.FileName ?? file.FileId)) : target;
                await SaveAsync(client, file, saved, ct);
            }

            if (inv.Json)
            {
                inv.WriteJson(file);
            }
            else
            {
                WriteFile(inv, file);
                if (saved is not null)
                {
                    inv.Console.Out.WriteLine($"Saved {file.Size} bytes to {saved}.");
                }
            }

            return CliApp.Ok;
        });
        return get;
    }

    private static async Task SaveAsync(NodeClient client, StoredFile file, string path, CancellationToken ct)
    {
        var partial = path + ".partial";
        await using (var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            await client.DownloadAsync(file.FileId, stream, ct);
        }

        var sha256 = await UploadPlan.Sha256Async(partial, ct);
        if (!string.Equals(sha256, file.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            File.Delete(partial);
            throw new IOException($"the bytes received hash to {sha256}, not the file's {file.Sha256}; nothing saved.");
        }

        File.Move(partial, path, overwrite: true);
    }

    private static void WriteFile(Invocation inv, StoredFile f)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("Id", f.FileId);
        grid.AddRow("Name", Markup.Escape(f.FileName ?? string.Empty));
        grid.AddRow("Type", Markup.Escape(f.ContentType ?? string.Empty));
        grid.AddRow("Size", f.Size.ToString(CultureInfo.InvariantCulture));
        grid.AddRow("Tags", Markup.Escape(string.Join(", ", f.Tags ?? [])));
        foreach (var (name, value) in f.Fields ?? [])
        {
            grid.AddRow("Field " + Markup.Escape(name), Markup.Escape(value.ToString()));
        }

        if (f.Media is { } m)
        {
            grid.AddRow("Taken", m.TakenAt?.ToString("u", CultureInfo.InvariantCulture) ?? string.Empty);
            grid.AddRow("Camera", Markup.Escape($"{m.CameraMake} {m.CameraModel}".Trim()));
            grid.AddRow("Place", m.Latitude is { } lat && m.Longitude is { } lon ? string.Create(CultureInfo.InvariantCulture, $"{lat:0.#####}, {lon:0.#####}") : string.Empty);
            grid.AddRow("Pixels", m.Width is { } w && m.Height is { } h ? $"{w} x {h}" : string.Empty);
        }

        grid.AddRow("Added", $"height {f.Height}");
        if (f.UpdatedHeight is { } updated)
        {
            grid.AddRow("Updated", $"height {updated}");
        }

        inv.Console.Ui.Write(grid);
    }

    private static Command BuildSearch(CommandContext context)
    {
        var search = new Command("search", "Search files; every condition must hold (GET /api/search).");
        var tag = new Option<string[]>("--tag") { Description = "Has this tag (repeatable)." };
        var field = new Option<string[]>("--field") { Description = "A field condition name=value (repeatable)." , HelpName = "name=value" };
        var from = new Option<string?>("--from") { Description = "Taken at or after (ISO 8601 date or date-time)." };
        var to = new Option<string?>("--to") { Description = "Taken at or before (ISO 8601 date or date-time)." };
        var near = new Option<string?>("--near") { Description = "Within km of a place.", HelpName = "lat,lon,km" };
        var bbox = new Option<string?>("--bbox") { Description = "Inside a box.", HelpName = "south,west,north,east" };
        var name = new Option<string?>("--name") { Description = "File name starts with this." };
        var skip = new Option<int?>("--skip") { Description = "Skip this many matches." };
        var take = new Option<int?>("--take") { Description = "Return at most this many (1-1000, node default 50)." };
        foreach (var option in new Option[] { tag, field, from, to, near, bbox, name, skip, take })
        {
            search.Options.Add(option);
        }

        context.SetAction(search, async (inv, ct) =>
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var condition in inv.Parse.GetValue(field) ?? [])
            {
                var eq = condition.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    throw new UsageException($"--field takes name=value, not '{condition}'.");
                }

                fields[condition[..eq]] = condition[(eq + 1)..];
            }

            var query = new SearchQuery
            {
                Tags = inv.Parse.GetValue(tag) ?? [],
                Fields = fields,
                From = inv.Parse.GetValue(from),
                To = inv.Parse.GetValue(to),
                Near = inv.Parse.GetValue(near),
                Bbox = inv.Parse.GetValue(bbox),
                Name = inv.Parse.GetValue(name),
                Skip = inv.Parse.GetValue(skip),
                Take = inv.Parse.GetValue(take),
            };
            var result = await inv.Client().SearchAsync(query, ct);
            if (inv.Json)
            {
                inv.WriteJson(result);
                return CliApp.Ok;
            }

            var table = Tables.Create("Id", "Name", "Size", "Taken", "Tags");
            foreach (var f in result.Items)
            {
                table.AddRow(
                    ClusterCommands.Short(f.FileId),
                    Markup.Escape(f.FileName ?? string.Empty),
                    f.Size.ToString(CultureInfo.InvariantCulture),
                    f.Media?.TakenAt?.ToString("u", CultureInfo.InvariantCulture) ?? string.Empty,
                    Markup.Escape(string.Join(", ", f.Tags ?? [])));
            }

            inv.Console.Ui.Write(table);
            inv.Console.Out.WriteLine($"{result.Items.Length} shown of {result.Total} matching (skip {result.Skip}).");
            return CliApp.Ok;
        });
        return search;
    }

    private static Command BuildTag(CommandContext context)
    {
        var tag = new Command("tag", "Add or remove tags of a file.");
        var id = new Argument<string>("id") { Description = "The file id (its SHA-256)." };
        var add = new Option<string[]>("--add") { Description = "Add this tag (repeatable)." };
        var remove = new Option<string[]>("--remove") { Description = "Remove this tag (repeatable)." };
        tag.Arguments.Add(id);
        tag.Options.Add(add);
        tag.Options.Add(remove);
        context.SetAction(tag, async (inv, ct) =>
        {
            var adding = inv.Parse.GetValue(add) ?? [];
            var removing = inv.Parse.GetValue(remove) ?? [];
            if (adding.Length + removing.Length == 0)
            {
                throw new UsageException("files tag needs --add or --remove.");
            }

            var file = await inv.Client().UpdateMetadataAsync(
                inv.Get(id), new MetadataUpdate(adding.Length > 0 ? adding : null, removing.Length > 0 ? removing : null), ct);
            if (inv.Json)
            {
                inv.WriteJson(file);
            }
            else
            {
                inv.Console.Out.WriteLine($"{ClusterCommands.Short(file.FileId)} ({file.FileName}): tags now [{string.Join(", ", file.Tags ?? [])}].");
            }

            return CliApp.Ok;
        });
        return tag;
    }

    /// <summary>files/s, MB/s and ETA beside the bar, from the uploader's own counts.</summary>
    private sealed class TransferColumn(TransferProgress progress) : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(TransferProgress.Describe(progress.At(task.ElapsedTime ?? TimeSpan.Zero)));
    }
}
