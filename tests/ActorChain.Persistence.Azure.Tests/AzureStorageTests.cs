using Microsoft.Extensions.Configuration;

namespace ActorChain.Persistence.Azure.Tests;

public sealed class AzureStorageTests
{
    [Fact]
    public async Task HealthCheck_PassesWhileAzuriteRuns_AndFailsClearlyOnceItIsStopped()
    {
        var azurite = await AzuriteProcess.StartAsync();
        AzureStorage storage;
        try
        {
            storage = azurite.NewStorage();
            Assert.False((await storage.CheckHealthAsync()).IsHealthy);
            await storage.EnsureCreatedAsync();
            var healthy = await storage.CheckHealthAsync();
            Assert.True(healthy.IsHealthy, healthy.Description);
        }
        finally
        {
            await azurite.DisposeAsync();
        }

        var health = await storage.CheckHealthAsync();

        Assert.False(health.IsHealthy);
        Assert.Contains("unreachable", health.Description);
        Assert.Contains($"127.0.0.1:{azurite.BlobPort}", health.Description);
    }

    [Fact]
    public void Options_BindFromHocon_OverTheDefaults()
    {
        var configuration = new ConfigurationBuilder().AddHoconString("""
            actorchain.persistence.azure {
              table-journal = true
              connection-string = "UseDevelopmentStorage=true"
              container = "cluster-7"
              retry-backoff = 250ms
              retry-attempts = 6
            }
            """).Build();

        var options = AzureStorageOptions.Bind(configuration);

        Assert.True(options.IsConfigured);
        Assert.True(options.TableJournal);
        Assert.True(options.BlobFiles);
        Assert.Equal("cluster-7", options.Container);
        Assert.Equal("actorchainblocks", options.Table);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.RetryBackoff);
        Assert.Equal(6, options.RetryAttempts);
        Assert.Equal(AzureStorage.Create(options).Options, options);
    }

    [Fact]
    public void ReferenceConf_AzureBlock_EqualsTheCodeDefaults()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ActorChain.sln")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        var configuration = new ConfigurationBuilder()
            .AddHoconFile(Path.Combine(directory.FullName, "hocon", "reference.conf"))
            .Build();

        Assert.Equivalent(new AzureStorageOptions(), AzureStorageOptions.Bind(configuration), strict: true);
    }

    [Fact]
    public void WithoutAConnectionString_AzureIsNotConfigured_AndCreateRefusesIt()
    {
        var options = AzureStorageOptions.Bind(new ConfigurationBuilder().AddHoconString("actorchain.persistence.azure.container = x").Build());

        Assert.False(options.IsConfigured);
        var error = Assert.Throws<FormatException>(() => AzureStorage.Create(options));
        Assert.Contains("connection-string is empty", error.Message);
    }

    [Fact]
    public void Create_WithANonStorageConnectionString_FailsAtConfigurationTime()
    {
        var error = Assert.Throws<FormatException>(() => AzureStorage.Create(new AzureStorageOptions { ConnectionString = "Server=db;Database=x" }));
        Assert.Contains("connection-string", error.Message);
    }
}
