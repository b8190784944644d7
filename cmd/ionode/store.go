package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ionode/ionode/node/store/mongo"
)

// newStoreCommand groups store administration.
func newStoreCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "store", Short: "Store administration (MongoDB)"}
	var database string
	plan := &cobra.Command{
		Use:   "shard-plan",
		Short: "Print the mongosh commands that shard the node's MongoDB database",
		Long: `Print the sh.enableSharding and sh.shardCollection commands for a sharded cluster: operations on
{ didSuffix: 1 }, dids and states on { _id: 1 }, the small collections unsharded. Run them in mongosh on a
mongos after the node has started once (it creates the indexes the shard keys need).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := fmt.Fprint(cmd.OutOrStdout(), mongo.ShardPlan(database))
			return err
		},
	}
	plan.Flags().StringVar(&database, "mongodb-database", defaultServeConfig().MongoDatabase, "MongoDB database name")
	cmd.AddCommand(plan)
	return cmd
}
