using System.Globalization;
using Cairn;

// Usage: Cairn.TestWriter <store-uri> <writer-tag> <batches> <batch-size>
// Puts <batches> batches of <batch-size> artifacts, one transaction each, and prints "committed <n>" after each.
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: Cairn.TestWriter <store-uri> <writer-tag> <batches> <batch-size>");
    return 2;
}

var tag = args[1];
var batches = int.Parse(args[2], CultureInfo.InvariantCulture);
var size = int.Parse(args[3], CultureInfo.InvariantCulture);
await using var store = await CairnStore.OpenAsync(StoreUri.Parse(args[0]), new StoreOpenOptions { LockTimeout = TimeSpan.FromSeconds(60) });
var typeId = await store.PutArtifactTypeAsync(new ArtifactType { Name = "Batch" });
var payload = new string('x', 2000);
for (var b = 0; b < batches; b++)
{
    var artifacts = new List<Artifact>(size);
    for (var i = 0; i < size; i++)
    {
        artifacts.Add(new Artifact
        {
            TypeId = typeId,
            Uri = $"mem://{tag}/{b}/{i}",
            CustomProperties = new Dictionary<string, MetadataValue>
            {
                ["writer"] = MetadataValue.String(tag),
                ["batch"] = MetadataValue.Int(b),
                ["payload"] = MetadataValue.String(payload),
            },
        });
    }

    await store.PutArtifactsAsync(artifacts);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"committed {b}"));
    Console.Out.Flush();
}

return 0;
